package io.joinery.proxy.plan;

import graphql.language.Field;

import java.util.List;
import java.util.Optional;

/** The planner of one kind of query root field; {@link QueryPlanner} asks each in turn. */
interface RootPlanner {

    /** The root field for {@code fields} (sharing the response key {@code alias}), or empty when it is not of this kind. */
    Optional<RootField> plan(String alias, List<Field> fields);
}
