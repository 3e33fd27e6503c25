/**
 * Spring Boot auto-configuration of Kasper: topic processors from {@code kasper.processors.<name>.*}, their logic from
 * beans annotated {@link io.kasper.spring.boot.KasperProcessor}, each run on its own thread under
 * {@link org.springframework.context.SmartLifecycle}, a health contributor per processor, meters in Boot's
 * {@code MeterRegistry}, and stores from {@code kasper.stores.<name>.redis|opensearch|cassandra.*} as beans.
 */
package io.kasper.spring.boot;
