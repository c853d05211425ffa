#!/usr/bin/env python3
# A new user's walk through issue 4 on a running `serve --demo`: pages and API, good and bad input.
# Usage: scripts/trial-issue4.py BASE_URL SERVE_LOG OFFICIAL_TOKEN
import sys, re, json, urllib.request, urllib.parse, http.cookiejar, datetime
base, pw_log = sys.argv[1], sys.argv[2]
log = open(pw_log).read()
pw = {m.group(1): m.group(2) for m in re.finditer(r'^(admin|official|hub|member|expert)\s+\S+\s+(\S+)', log, re.M)}
class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **k): return None
def client():
    cj = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cj), NoRedirect)
def req(op, method, path, data=None, headers=None, js=None):
    h = dict(headers or {}); body = None
    if data is not None: body = urllib.parse.urlencode(data, doseq=True).encode(); h['Content-Type']='application/x-www-form-urlencoded'
    if js is not None: body = json.dumps(js).encode(); h['Content-Type']='application/json'
    r = urllib.request.Request(base+path, data=body, method=method, headers=h)
    try:
        resp = op.open(r); return resp.status, resp.read().decode(), dict(resp.headers)
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(), dict(e.headers)
def csrf(html):
    m = re.search(r'name="_csrf" value="([0-9a-f]+)"', html); return m.group(1) if m else ''
def login(user):
    op = client(); s, html, _ = req(op, 'GET', '/login')
    s, body, h = req(op, 'POST', '/login', {'_csrf': csrf(html), 'username': user, 'password': pw[user]})
    assert s == 303, (user, s, body[:300]); return op
results = []
def check(name, cond, info=''):
    results.append((name, bool(cond))); print(('PASS ' if cond else 'FAIL ') + name, '' if cond else info[:300])
anon = client()
s, html, _ = req(anon, 'GET', '/structure/320102'); check('anonymous 一核两轴 page', s == 200 and '<svg' in html and '玄武区社会组织党建工作委员会' in html)
s, j, _ = req(anon, 'GET', '/api/v1/structure/320102'); st = json.loads(j)
mei = [x for x in st['streets'] if x['street']['code'] == '320102002000'][0]['hub']
check('API structure: Meiyuan hub 36 members', mei['member_count'] == 36, str(mei))
hub = login('hub')
s, html, _ = req(hub, 'GET', f"/hubs/{mei['id']}")
pend = re.findall(r'action="/memberships/([0-9a-f-]+)/decision"', html)
check('hub staff sees pending applications', s == 200 and pend, str(s))
s, body, _ = req(hub, 'POST', f"/memberships/{pend[0]}/decision", {'_csrf': csrf(html), 'action': 'reject', 'reason': ''})
check('reject without reason → 422 inline', s == 422 and 'reason' in body)
s, body, _ = req(hub, 'POST', f"/memberships/{pend[0]}/decision", {'_csrf': csrf(html), 'action': 'approve'})
check('approve → 303', s == 303, str(s)+body[:200])
s, j, _ = req(anon, 'GET', f"/api/v1/hubs/{mei['id']}"); check('member count now 37', json.loads(j)['member_count'] == 37, j[:200])
s, body, _ = req(hub, 'POST', f"/memberships/{pend[0]}/decision", {'_csrf': 'x'*64, 'action': 'suspend', 'reason': 'r'})
check('bad CSRF → 403, nothing changed', s == 403)
# member books a room
s, j, _ = req(anon, 'GET', '/api/v1/venues'); venue = [v for v in json.loads(j)['items'] if '34号' in v['address']][0]
room = [sp for sp in venue.get('spaces') or json.loads(req(anon,'GET',f"/api/v1/venues/{venue['id']}")[1])['spaces'] if sp['kind'] != 'office'][0]
mem = login('member')
day = (datetime.date.today() + datetime.timedelta(days=20)).isoformat()
s, html, _ = req(mem, 'GET', f"/spaces/{room['id']}?week={day}")
form = {'_csrf': csrf(html), 'date': day, 'start': '20:00', 'end': '21:00', 'purpose': '新用户试用', 'attendees': '5'}
s, body, h = req(mem, 'POST', f"/spaces/{room['id']}/bookings", form); check('member books a free hour → 303', s == 303, str(s)+body[:300])
s, body, h = req(mem, 'POST', f"/spaces/{room['id']}/bookings", form); check('same hour again → 409 inline', s == 409 and 'error-summary' in body, str(s))
bad = dict(form, start='20:10', end='19:00', date='2026-02-30')
s, body, h = req(mem, 'POST', f"/spaces/{room['id']}/bookings", bad); check('bad booking input → 422 inline', s == 422, str(s))
s, j, _ = req(anon, 'GET', f"/api/v1/spaces/{room['id']}/bookings?from={day}&to={day}T23:59:00Z")
check('booking visible in API calendar', '新用户试用' in j, j[:300])
# API with bad input (official token passed in argv[3])
tok = sys.argv[3]
api = client(); H = {'Authorization': 'Bearer '+tok}
s, j, _ = req(api, 'POST', '/api/v1/hubs', headers=H, js={'kind': 'axis', 'recognized_on': '2999-01-01'})
check('API recognize with bad body → 422 naming fields', s == 422 and 'kind' in json.loads(j).get('fields', {}), j[:300])
s, j, _ = req(api, 'GET', '/api/v1/coverage/320102', headers=H); check('official reads coverage', s == 200, j[:200])
s, j, _ = req(api, 'GET', '/api/v1/coverage/320104', headers=H); check('official outside scope → 403', s == 403, str(s))
s, j, _ = req(anon, 'GET', '/api/v1/coverage/320102'); check('anonymous coverage → 401', s == 401)
s, j, _ = req(api, 'GET', '/api/v1/hubs/not-a-uuid', headers=H); check('bad id → 404 JSON', s == 404 and 'error' in json.loads(j))
print(sum(r for _, r in results), 'of', len(results), 'passed')
