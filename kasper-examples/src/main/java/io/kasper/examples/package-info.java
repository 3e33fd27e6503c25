/**
 * Examples of the Kasper API, each checked by an integration test against a real broker. Meant to be read and
 * copied: they use only the API packages ({@code io.kasper}, {@code io.kasper.store} and the store adapters).
 */
package io.kasper.examples;
