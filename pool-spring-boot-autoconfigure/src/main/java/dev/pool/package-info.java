/**
 * Types every part of the starter shares: a setting with its source, the credential
 * masker, durations and failures that mean "try again later".
 */
@NullMarked
package dev.pool;

import org.jspecify.annotations.NullMarked;
