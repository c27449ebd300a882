/**
 * ONNX in and out: {@link org.convcl.onnx.OnnxExport} writes a model as an ONNX graph, {@link
 * org.convcl.onnx.OnnxImport} reads one (e.g. from {@code torch.onnx.export}) as a ConvCL model.
 * ONNX files are protobuf; a small wire-format writer and reader for the few ONNX messages used
 * stand in for a protobuf library and its generated classes.
 */
package org.convcl.onnx;
