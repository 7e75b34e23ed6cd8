/**
 * Implementation of the lanes. Not an API: types here change without notice.
 */
package io.github.twinlane.internal;
