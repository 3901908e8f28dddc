/**
 * The order a partition's messages must be applied in, checked on the consumer's delivery
 * sequence.
 *
 * A durable consumer numbers every delivery it makes (1, 2, 3, …, redeliveries included). A worker
 * that sees every number in turn has seen every message the consumer handed out, in the order it
 * handed them out: stream order, each host's messages in its publisher's order. A number skipped
 * means deliveries were lost on their way (a cluster node died with them in flight; a second
 * client pulled from the consumer): the consumer carries on with later messages and hands the lost
 * ones out again only after its ack wait. Applying the later ones first would enrich them from a
 * tree missing the lost events, and the lost ones, when they come back, would look applied
 * already. So the worker applies nothing past a hole: it starts the partition's consumer again
 * from its hosts' checkpoints.
 *
 * @module
 */

/** Why `delivery` cannot be applied after `last` (the deliveries seen so far: 1…last), or `undefined` when it is the next one. */
export function deliveryHole(last: number, delivery: number): string | undefined {
  if (delivery === last + 1) return undefined;
  return delivery > last + 1 ? `delivery ${delivery} came after ${last}: ${delivery - last - 1} lost on the way` : `delivery ${delivery} came after ${last}: the consumer went back`;
}
