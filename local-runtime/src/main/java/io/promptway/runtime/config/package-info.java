/**
 * The runtime's configuration: one tree of records for everything it can be told, from the time
 * scale and seed to each emulated service's limits, models and prices, built from the shipped
 * defaults, deep-merged with an optional YAML file, then with overrides from flags. Unknown keys
 * and bad values fail, all of them at once, each with the file's line and column (or the flag) and
 * the path of the key, and durations are written as people write them (400ms, 29s, 10m, 2h).
 */
package io.promptway.runtime.config;
