-- tried for issue 17 (2026-12-06): to_json(ARRAY(SELECT row(...))) per level instead of json_agg over a sorted subquery; bare LIMIT $n
\set c 3
\set b 5
\set a 20
SELECT coalesce(to_json(ARRAY(SELECT row(t0."id", t0."name", coalesce(to_json(ARRAY(SELECT row(t1."id", t1."title", t1."rating", coalesce(to_json(ARRAY(SELECT row(t2."id", t2."body") FROM "bench"."comment" AS t2 WHERE t2."article_id" = t1."id" ORDER BY t2."id" ASC NULLS LAST LIMIT :c::text::"int8")), '[]')) FROM "bench"."article" AS t1 WHERE t1."author_id" = t0."id" ORDER BY t1."id" ASC NULLS LAST LIMIT :b::text::"int8")), '[]')) FROM "bench"."author" AS t0 ORDER BY t0."id" ASC NULLS LAST LIMIT :a::text::"int8")), '[]')::text
