/**
 * The tuner: for each convolution of a model and each pass, times every applicable implementation
 * and tunable setting of a backend, keeps only candidates whose output agrees with the reference
 * backend, and writes the fastest to the backend's choice table. See docs/architecture.md.
 */
package org.convcl.tune;
