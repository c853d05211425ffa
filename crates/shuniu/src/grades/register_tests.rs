use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

const TODAY: (i32, u32, u32) = (2026, 11, 30);

fn read_ok(text: &str) -> Register {
    read(text.as_bytes(), d(TODAY.0, TODAY.1, TODAY.2), 100).expect("readable")
}

fn problems(r: &Register) -> Vec<String> {
    r.errors.iter().map(ToString::to_string).collect()
}

#[test]
fn a_bom_any_column_order_and_case_and_extra_columns() {
    let text = "\u{feff}Name,Document,AWARDED_ON,grade,Organization\n\
                甲协会,玄民〔2021〕12号,2021-05-01,4a,91320102MJ0000000X\n\
                \"乙,中心\", 玄民〔2022〕3号 ,2022-1-9,AAAAA级, 0190a1b2-0000-7000-8000-000000000001\n";
    let r = read_ok(text);
    assert_eq!(problems(&r), Vec::<String>::new());
    assert_eq!(
        r.rows,
        vec![
            RegisterRow {
                line: 2,
                organization: "91320102MJ0000000X".into(),
                grade: Grade::A4,
                awarded_on: d(2021, 5, 1),
                document: "玄民〔2021〕12号".into(),
            },
            RegisterRow {
                line: 3,
                organization: "0190a1b2-0000-7000-8000-000000000001".into(),
                grade: Grade::A5,
                awarded_on: d(2022, 1, 9),
                document: "玄民〔2022〕3号".into(),
            },
        ]
    );
}

#[test]
fn every_bad_cell_of_every_row_is_named_by_line_and_field() {
    let text = "organization,grade,awarded_on,document\n\
                ,6A,2021-02-30,\n\
                X,3A,2027-01-01,玄民〔2027〕1号\n\
                X,3A,0021-05-01,玄民\u{7}号\n\
                X,,,\"a\nb\"\n\
                X,1a,2020-01-01\n";
    let r = read_ok(text);
    assert!(r.rows.is_empty(), "{:?}", r.rows);
    let p = problems(&r);
    let fields: Vec<(u64, &str)> = r
        .errors
        .iter()
        .map(|e| (e.line, e.field.as_str()))
        .collect();
    assert_eq!(
        fields,
        vec![
            (2, "organization"),
            (2, "grade"),
            (2, "awarded_on"),
            (2, "document"),
            (3, "awarded_on"),
            (4, "awarded_on"),
            (4, "document"),
            (5, "grade"),
            (5, "awarded_on"),
            (5, "document"),
            // A quoted cell over two lines: the next row starts on line 7.
            (7, "document"),
        ],
        "{p:#?}"
    );
    assert!(p[1].contains("\"6A\" is not a grade"), "{}", p[1]);
    assert!(p[2].contains("not a date"), "{}", p[2]);
    assert!(p[4].contains("in the future"), "{}", p[4]);
    assert!(p[5].contains("before 1990"), "{}", p[5]);
    assert!(p[6].contains("control characters"), "{}", p[6]);
    assert_eq!(p[0], "line 2: organization: is required");
}

#[test]
fn a_missing_or_doubled_column_is_a_header_problem_and_no_row_is_read() {
    let r = read_ok("organization,grade,date,document\nX,1A,2020-01-01,D\n");
    assert!(r.rows.is_empty());
    assert_eq!(r.errors.len(), 1);
    assert!(
        r.errors[0]
            .to_string()
            .starts_with("line 1: header: no column awarded_on"),
        "{}",
        r.errors[0]
    );
    let r = read_ok("organization,grade,awarded_on,document,Grade\nX,1A,2020-01-01,D,2A\n");
    assert!(r.rows.is_empty());
    assert_eq!(
        problems(&r),
        ["line 1: header: the column grade appears twice"]
    );
    let r = read_ok("");
    assert!(r.rows.is_empty());
    assert_eq!(r.errors.len(), 4, "{:?}", problems(&r));
}

#[test]
fn blank_rows_are_no_rows_and_the_row_bound_holds() {
    let mut text = String::from("organization,grade,awarded_on,document\n");
    for i in 0..3 {
        text.push_str(&format!("X{i},2A,2020-01-0{},D{i}\n,,,\n\n", i + 1));
    }
    let today = d(TODAY.0, TODAY.1, TODAY.2);
    let r = read(text.as_bytes(), today, 3).expect("three rows are allowed");
    assert_eq!(r.rows.len(), 3);
    assert!(r.errors.is_empty());
    assert_eq!(
        read(text.as_bytes(), today, 2).unwrap_err(),
        Unreadable::TooManyRows { max: 2 }
    );
}

#[test]
fn text_that_is_not_utf8_is_refused_naming_the_line() {
    let mut bytes = b"organization,grade,awarded_on,document\nX,2A,2020-01-01,".to_vec();
    // 玄 in GBK, what a spreadsheet's default CSV export writes.
    bytes.extend([0xD0, 0xFE]);
    let err = read(&bytes, d(TODAY.0, TODAY.1, TODAY.2), 10).unwrap_err();
    assert_eq!(err, Unreadable::NotUtf8 { line: 2 });
    assert!(err.to_string().contains("CSV UTF-8"));
}

#[test]
fn grades_in_the_forms_registers_write_them() {
    for (s, g) in [
        ("1A", Grade::A1),
        ("2a", Grade::A2),
        (" 3A级 ", Grade::A3),
        ("AAAA", Grade::A4),
        ("aaaaa", Grade::A5),
    ] {
        assert_eq!(parse_grade(s), Some(g), "{s}");
    }
    for s in ["", "6A", "AAAAAA", "A1", "4", "四A", "级"] {
        assert_eq!(parse_grade(s), None, "{s}");
    }
}

#[test]
fn lines_are_counted_as_an_editor_shows_them_with_crlf_too() {
    for end in ["\n", "\r\n"] {
        let text = [
            "organization,grade,awarded_on,document",
            "X,9A,2020-01-01,D",
            "",
            "X,2A,2020-01-01,\"two",
            "lines\"",
            "X,2A,2020-13-01,D",
        ]
        .join(end);
        let r = read_ok(&text);
        let at: Vec<(u64, &str)> = r
            .errors
            .iter()
            .map(|e| (e.line, e.field.as_str()))
            .collect();
        assert_eq!(
            at,
            [(2, "grade"), (4, "document"), (6, "awarded_on")],
            "{end:?}"
        );
    }
}
