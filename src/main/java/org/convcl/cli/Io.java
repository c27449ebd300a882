package org.convcl.cli;

import java.io.PrintStream;

/** Where a command prints: results to {@code out}, progress, logs and errors to {@code err}. */
record Io(PrintStream out, PrintStream err) {}
