// Typed errors of TaskStats (kernel refusals stay NetlinkErrors). A module of its own, so the
// package root can export it without loading the protocol.

/** Exit records cannot reach this socket or process because of its namespaces. */
export class TaskStatsNamespaceError extends Error {
  override name = 'TaskStatsNamespaceError';
}
