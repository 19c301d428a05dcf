package io.inlay.engine.internal;

/**
 * The limits and checks that internal read code applies to a file, taken from the caller's read
 * options by the public reader so that internal code never depends on the public API.
 *
 * @param verifyCrc whether page CRCs are checked where present
 * @param maxPageBytes the largest page (compressed or not) accepted
 * @param maxValuesPerPage the most values a page header may claim
 * @param maxValuesPerByte the most values per stored byte a column chunk may claim
 */
public record ReadLimits(boolean verifyCrc, long maxPageBytes, int maxValuesPerPage, long maxValuesPerByte) {}
