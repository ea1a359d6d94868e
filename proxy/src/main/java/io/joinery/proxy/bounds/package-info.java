/**
 * Bounds on how long a request's thread waits for what it asked another (the database's answers, a
 * remote's), kept by one thread for the process: Note [Waits watched by one thread] in {@link io.joinery.proxy.bounds.Waits}.
 */
package io.joinery.proxy.bounds;
