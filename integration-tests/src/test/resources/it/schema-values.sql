-- Values of every kind, loaded by ValueFidelityTest: each row's columns hold the edge cases of their type.
DROP TABLE IF EXISTS sample CASCADE;
CREATE TABLE sample (
  id        integer PRIMARY KEY,
  parent_id integer REFERENCES sample,
  big       bigint,
  exact     numeric,
  real8     double precision,
  real4     real,
  flag      boolean,
  label     text,
  at        timestamptz,
  plain_at  timestamp,
  day       date,
  span      interval,
  doc       jsonb,
  raw       json,
  tags      text[],
  grid      integer[][],
  uid       uuid,
  bytes     bytea
);
INSERT INTO sample VALUES
  (1, NULL, 9223372036854775807, 1.10, 1e308, 3.4e38, true, 'quote " backslash \ tab	newline
 unicode é 😀 nul-free', '2020-01-02 03:04:05.678+00', '2020-01-02 03:04:05.678', '2020-01-02', '1 day 02:03:04',
   '{"n": 1.50, "big": 123456789012345678901234567890, "s": "x\"y", "a": [1, null, {"b": false}]}',
   '{ "spaced" :  1.0e2 , "dup": 1, "dup": 2 }', ARRAY['a', 'b"c', NULL], ARRAY[[1, 2], [3, 4]],
   '00000000-0000-0000-0000-000000000001', '\x00ff'),
  (2, 1, -9223372036854775808, 123456789012345678901234567890.123456789012345678901234567890, 'NaN', '-Infinity', false, '', NULL, NULL, NULL, NULL,
   '[]', 'null', '{}', NULL, NULL, NULL),
  (3, 2, 0, -0.0, -0.0, 1.5e-45, NULL, NULL, '-infinity', 'infinity', '-infinity', '-1 year', '"text"', '"\u0001"', ARRAY[]::text[], ARRAY[]::integer[], NULL, '\x');

-- A row of more values than json_build_array takes (100): its records stay row(…) (Note [Records as JSON arrays]).
DROP TABLE IF EXISTS wide CASCADE;
DO $$ BEGIN
  EXECUTE 'CREATE TABLE wide (id integer PRIMARY KEY, parent_id integer REFERENCES wide, '
    || (SELECT string_agg(format('c%s integer', i), ', ') FROM generate_series(1, 101) AS i) || ')';
  EXECUTE 'INSERT INTO wide SELECT r, nullif(r - 1, 0), ' || (SELECT string_agg(format('r * 1000 + %s', i), ', ') FROM generate_series(1, 101) AS i)
    || ' FROM generate_series(1, 2) AS r';
END $$;
