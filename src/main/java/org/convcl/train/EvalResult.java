package org.convcl.train;

/** Mean loss and accuracy over a data set, plus throughput. */
public record EvalResult(int images, double loss, double accuracy, double imagesPerSecond) {}
