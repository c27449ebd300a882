/**
 * The self-test behind {@code convcl doctor}: every op of the SPI, and every registered
 * implementation of the passes that have several, run on small seeded cases on a device and
 * compared with the reference backend. What a user with a new GPU driver runs first.
 */
package org.convcl.doctor;
