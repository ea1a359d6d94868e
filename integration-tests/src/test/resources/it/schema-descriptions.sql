-- Tables with and without database comments, for DescriptionsTest.
CREATE TABLE commented (id int PRIMARY KEY, name text NOT NULL, note text);
COMMENT ON TABLE commented IS 'A table the database describes';
COMMENT ON COLUMN commented.name IS 'The name, says the database';
COMMENT ON COLUMN commented.note IS 'A note, says the database';
CREATE FUNCTION commented_upper(r commented) RETURNS text STABLE LANGUAGE sql AS $$ SELECT upper(r.name) $$;
COMMENT ON FUNCTION commented_upper(commented) IS 'The name in capitals, says the database';

CREATE TABLE plain (id int PRIMARY KEY, name text NOT NULL);
CREATE FUNCTION plain_upper(r plain) RETURNS text STABLE LANGUAGE sql AS $$ SELECT upper(r.name) $$;

CREATE TABLE renamed (id int PRIMARY KEY, name text NOT NULL);
COMMENT ON TABLE renamed IS 'Hidden by the metadata';
COMMENT ON COLUMN renamed.name IS 'Hidden by the metadata too';
CREATE FUNCTION renamed_upper(r renamed) RETURNS text STABLE LANGUAGE sql AS $$ SELECT upper(r.name) $$;
COMMENT ON FUNCTION renamed_upper(renamed) IS 'Hidden by an empty comment';
