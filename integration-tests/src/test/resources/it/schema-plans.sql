-- SessionDefaultsTest: parents with 20 children each, scattered over the child table's pages (a
-- parent's children are never neighbours), as in the benchmark's articles and comments; and the
-- planner setting a session runs with, as a view the sidecar can read.
CREATE TABLE parent (id int PRIMARY KEY, name text NOT NULL);
CREATE TABLE child (id int PRIMARY KEY, parent_id int NOT NULL REFERENCES parent (id), body text NOT NULL);
CREATE INDEX child_parent_id_idx ON child (parent_id);
INSERT INTO parent SELECT i, 'parent ' || i FROM generate_series(1, 2000) AS i;
INSERT INTO child SELECT i, 1 + (i * 7919) % 2000, 'child ' || i FROM generate_series(1, 40000) AS i;
ANALYZE parent;
ANALYZE child;
CREATE VIEW session_setting AS SELECT name, setting FROM pg_settings WHERE name = 'random_page_cost';
