-- tried for issue 17 (session 9): records as today, but each level an ARRAY(SELECT row(…) … ORDER BY … LIMIT $n) sublink turned to JSON once per level by array_to_json; bare LIMIT $n
\set c 3
\set b 5
\set a 20
SELECT array_to_json(ARRAY(SELECT row(t0."id", t0."name", array_to_json(ARRAY(SELECT row(t1."id", t1."title", t1."rating", array_to_json(ARRAY(SELECT row(t2."id", t2."body") FROM "bench"."comment" AS t2 WHERE t2."article_id" = t1."id" ORDER BY t2."id" ASC NULLS LAST LIMIT :c::text::"int8"))) FROM "bench"."article" AS t1 WHERE t1."author_id" = t0."id" ORDER BY t1."id" ASC NULLS LAST LIMIT :b::text::"int8"))) FROM "bench"."author" AS t0 ORDER BY t0."id" ASC NULLS LAST LIMIT :a::text::"int8"))::text
