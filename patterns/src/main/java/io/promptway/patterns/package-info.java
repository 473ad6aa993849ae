/**
 * The local runtime's wiring: {@code PromptwayServer} builds the emulated platform services
 * (gateway, functions, state store, meter, queues, webhooks, event bus), the emulated model
 * provider ({@code /llm/v1}), every API pattern and the introspection routes ({@code /requests},
 * {@code /metering}, {@code /health}, {@code /metrics}, {@code /openapi}) into one Helidon server.
 * Each pattern implements {@code Pattern}: it registers its routes, and starts and stops its own
 * workers.
 */
package io.promptway.patterns;
