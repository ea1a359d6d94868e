-- Q2 as Joinery compiled it until the seventeenth session: objects as json_build_array(...) aggregated by json_agg (Note [Records as JSON arrays]), bare LIMIT $n, so Postgres plans it at each run (a custom plan); 11.0 M instructions
\set c 3
\set b 5
\set a 20
SELECT (SELECT coalesce(json_agg(json_build_array(t0."id", t0."name", (SELECT coalesce(json_agg(json_build_array(t1."id", t1."title", t1."rating", (SELECT coalesce(json_agg(json_build_array(t2."id", t2."body")), '[]') FROM (SELECT t2."id", t2."body" FROM "bench"."comment" AS t2 WHERE t2."article_id" = t1."id" ORDER BY t2."id" ASC NULLS LAST LIMIT :c::text::"int8") AS t2))), '[]') FROM (SELECT t1."id", t1."title", t1."rating" FROM "bench"."article" AS t1 WHERE t1."author_id" = t0."id" ORDER BY t1."id" ASC NULLS LAST LIMIT :b::text::"int8") AS t1))), '[]') FROM (SELECT t0."id", t0."name" FROM "bench"."author" AS t0 ORDER BY t0."id" ASC NULLS LAST LIMIT :a::text::"int8") AS t0)::text
