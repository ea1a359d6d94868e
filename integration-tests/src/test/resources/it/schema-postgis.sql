-- PostGIS data for PostgisOperatorsTest (tag "postgis": needs PostGIS, see integration-tests' profile "postgis").
CREATE EXTENSION IF NOT EXISTS postgis;
CREATE EXTENSION IF NOT EXISTS postgis_raster;

CREATE TABLE place (
  id int PRIMARY KEY,
  name text NOT NULL,
  shape geometry(Geometry, 4326) NOT NULL,
  spot geography(Point, 4326)
);
INSERT INTO place VALUES
  (1, 'origin', 'SRID=4326;POINT(0 0)', 'SRID=4326;POINT(0 0)'),
  (2, 'diagonal', 'SRID=4326;LINESTRING(0 0, 2 2)', 'SRID=4326;POINT(2 2)'),
  (3, 'unit square', 'SRID=4326;POLYGON((0 0, 0 1, 1 1, 1 0, 0 0))', 'SRID=4326;POINT(0.5 0.5)'),
  (4, 'far square', 'SRID=4326;POLYGON((10 10, 10 11, 11 11, 11 10, 10 10))', 'SRID=4326;POINT(10.5 10.5)'),
  (5, 'crossing', 'SRID=4326;LINESTRING(0 2, 2 0)', NULL),
  (6, 'london', 'SRID=4326;POINT(-0.1275 51.507222)', 'SRID=4326;POINT(-0.1275 51.507222)'),
  (7, 'paris', 'SRID=4326;POINT(2.3508 48.8567)', 'SRID=4326;POINT(2.3508 48.8567)');

CREATE TABLE solid (
  id int PRIMARY KEY,
  shape geometry(PointZ, 4326) NOT NULL
);
INSERT INTO solid VALUES (1, 'SRID=4326;POINT Z(0 0 0)'), (2, 'SRID=4326;POINT Z(0 0 10)');

CREATE TABLE tile (
  id int PRIMARY KEY,
  rast raster NOT NULL
);
-- 1x1 pixel rasters at (0,0)-(1,1) and (5,5)-(6,6), one band.
INSERT INTO tile VALUES
  (1, ST_AddBand(ST_MakeEmptyRaster(1, 1, 0, 1, 1, -1, 0, 0, 4326), '8BUI'::text, 1, 0)),
  (2, ST_AddBand(ST_MakeEmptyRaster(1, 1, 5, 6, 1, -1, 0, 0, 4326), '8BUI'::text, 1, 0));
