/**
 * The emulated DynamoDB tables on the runtime's database: request state (one row per request with
 * its status, usage and cost, an audit trail of every status change, and conditional transitions so
 * two writers cannot clobber each other) and the turns of multi-turn conversations. Both are billed
 * like DynamoDB on demand, in 1 KB write units and 4 KB eventually consistent read units; not
 * modelled: partitions, hot keys, throttling of the table itself, item size limits.
 */
package io.promptway.runtime.store;
