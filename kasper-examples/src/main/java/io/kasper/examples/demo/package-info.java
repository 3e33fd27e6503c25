/**
 * The demo program ({@link io.kasper.examples.demo.KasperDemo}, packaged as {@code kasper-demo.jar}): runs the
 * examples against an embedded or external cluster, with a health endpoint and Prometheus metrics. An application,
 * not a library: nothing here is API.
 */
package io.kasper.examples.demo;
