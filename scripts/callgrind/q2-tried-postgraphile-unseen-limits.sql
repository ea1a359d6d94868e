-- tried for issue 17 (2026-12-06): PostGraphile's own statement with the limits bound behind sub-selects
\set c 3
\set b 5
\set a 20
select __author__."id"::text as "0", __author__."name" as "1",  array(select array[ __article__."id"::text, __article__."title", __article__."rating"::text,    array(select array[ __comment__."id"::text, __comment__."body" ]::text[]      from "bench"."comment" as __comment__ where (__comment__."article_id" = __article__."id") order by __comment__."id" asc limit (select :c::text::"int8"))::text   ]::text[] from "bench"."article" as __article__ where (__article__."author_id" = __author__."id") order by __article__."id" asc limit (select :b::text::"int8"))::text as "2" from "bench"."author" as __author__ order by __author__."id" asc limit (select :a::text::"int8") 
