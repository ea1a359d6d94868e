/**
 * The {@code demo} command's parts: the services it joins to the demo tables ({@link
 * io.joinery.proxy.demo.DemoServices}: a federation subgraph and an action's REST handler, in-process),
 * its metadata and the guide it prints ({@link io.joinery.proxy.demo.Demo}). In: the process
 * environment. Out: the sidecar's environment and metadata; {@code Main} starts the sidecar with them.
 */
package io.joinery.proxy.demo;
