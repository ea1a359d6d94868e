-- pgbench script for scripts/q3-one-client.sh: the statement the sidecar compiles for Q3 (POST
-- /v1/graphql/explain shows it), its limit and offset bound as the sidecar binds them.
\set off random(0, 1950)
\set lim 50
SELECT (SELECT coalesce(json_agg(json_build_array(t0."id", t0."name", json_build_array(t0."id"))), '[]') FROM (SELECT t0."id", t0."name" FROM "bench"."author" AS t0 ORDER BY t0."id" ASC NULLS LAST LIMIT (:lim)::text::"int8" OFFSET (:off)::text::"int8") AS t0)::text;
