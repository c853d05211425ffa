DROP TRIGGER organizations_coverage_update ON organizations;
DROP TRIGGER organizations_coverage_delete ON organizations;
DROP TRIGGER organizations_coverage_insert ON organizations;
DROP FUNCTION organizations_coverage_move();
DROP FUNCTION organization_coverage_add(TEXT, BIGINT, TEXT, UUID, UUID, BIGINT);
DROP TABLE organization_coverage;
