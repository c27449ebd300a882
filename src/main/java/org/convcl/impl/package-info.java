/**
 * Implementations as data: every op pass that has several implementations ({@link
 * org.convcl.impl.Pass}) names them as {@link org.convcl.impl.Implementation} objects with their
 * tunables, and which one runs for a device and a shape is looked up in a {@link
 * org.convcl.impl.ChoiceTable} (shipped defaults in the jar, tuned entries in the user's cache)
 * rather than written in code. Backend-neutral: backends register their own implementations and
 * expose them through {@link org.convcl.impl.ImplementationSpace}, which the tuner drives. See
 * docs/architecture.md.
 */
package org.convcl.impl;
