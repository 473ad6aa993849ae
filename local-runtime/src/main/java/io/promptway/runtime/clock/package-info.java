/**
 * The runtime's one clock: simulated time that runs at a configurable scale of real time (N
 * simulated seconds per real second), starting at the real instant the clock was created so that
 * timestamps stay readable. Every delay, limit and bill in the runtime is expressed in simulated
 * time and converted to real time here.
 */
package io.promptway.runtime.clock;
