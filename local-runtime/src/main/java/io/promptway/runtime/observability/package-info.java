/**
 * What an operator of the platform sees: a metrics registry exposed in the Prometheus text format
 * (the emulator's CloudWatch), health checks, and the scheduled TTL sweep of request state.
 */
package io.promptway.runtime.observability;
