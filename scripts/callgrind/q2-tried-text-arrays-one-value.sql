-- tried for issue 17 (2026-12-06): PostGraphile's text arrays, the whole answer one ARRAY(...)::text; bare LIMIT $n (measure with and without PGOPTIONS="-c plan_cache_mode=force_generic_plan")
\set c 3
\set b 5
\set a 20
SELECT ARRAY(SELECT ARRAY[t0."id"::text, t0."name", ARRAY(SELECT ARRAY[t1."id"::text, t1."title", t1."rating"::text, ARRAY(SELECT ARRAY[t2."id"::text, t2."body"] FROM "bench"."comment" AS t2 WHERE t2."article_id" = t1."id" ORDER BY t2."id" ASC NULLS LAST LIMIT :c::text::"int8")::text] FROM "bench"."article" AS t1 WHERE t1."author_id" = t0."id" ORDER BY t1."id" ASC NULLS LAST LIMIT :b::text::"int8")::text] FROM "bench"."author" AS t0 ORDER BY t0."id" ASC NULLS LAST LIMIT :a::text::"int8")::text
