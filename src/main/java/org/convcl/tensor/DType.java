package org.convcl.tensor;

/**
 * Element types a tensor can hold: activations and parameters are float32, labels and argmax
 * indices int32.
 */
public enum DType {
  FLOAT32,
  INT32
}
