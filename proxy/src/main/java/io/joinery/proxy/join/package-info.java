/**
 * The join stage. In: a compiled plan, the JSON of its database root fields and the answers of its
 * remote root fields, whose objects carry phantom join keys (Note [Phantom join keys]). Out: the
 * same JSON with every join's field in place and its phantom keys gone, and the join errors.
 * The plan becomes a {@link io.joinery.proxy.join.JoinTree} per root field; the stage follows it
 * level by level — collect the objects and keys, ONE call per join per level (remote schemas: per
 * key, in a list argument or as {@code _entities}; tables: one keyed statement), replace.
 */
package io.joinery.proxy.join;
