-- Q2 as Joinery compiles it (issue 17, Note [Flat rows] in SqlCompiler): plain rows, the levels joined by LEFT JOIN LATERAL, the sidecar nests them; bare LIMIT $n (a custom plan each run); 9.04 M instructions
\set c 3
\set b 5
\set a 20
SELECT t0."id", t0."name", t1."id", t1."title", t1."rating", t2."id", t2."body" FROM (SELECT t0."id", t0."name" FROM "bench"."author" AS t0 ORDER BY t0."id" ASC NULLS LAST LIMIT :a::text::"int8") AS t0 LEFT JOIN LATERAL (SELECT t1."id", t1."title", t1."rating" FROM "bench"."article" AS t1 WHERE t1."author_id" = t0."id" ORDER BY t1."id" ASC NULLS LAST LIMIT :b::text::"int8") AS t1 ON true LEFT JOIN LATERAL (SELECT t2."id", t2."body" FROM "bench"."comment" AS t2 WHERE t2."article_id" = t1."id" ORDER BY t2."id" ASC NULLS LAST LIMIT :c::text::"int8") AS t2 ON true
