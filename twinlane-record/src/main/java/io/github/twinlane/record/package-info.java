/**
 * Recording twinlane channels into MCAP files ({@link io.github.twinlane.record.Recording}), with
 * codecs that say how each message class is stored ({@link io.github.twinlane.record.RecordCodec},
 * {@link io.github.twinlane.record.MotorCodecs}). The format itself is in
 * {@link io.github.twinlane.record.mcap}; the command-line tool in {@link io.github.twinlane.record.cli}.
 */
package io.github.twinlane.record;
