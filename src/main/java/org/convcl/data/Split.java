package org.convcl.data;

/** A training set and the held-out set it is evaluated on. */
public record Split(Dataset train, Dataset test) {}
