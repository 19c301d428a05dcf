/**
 * DLIO datasets: {@link io.inlay.engine.dataset.DatasetSpec} describes one (the storage part of a
 * workload config, without any YAML), and {@link io.inlay.engine.dataset.DatasetGenerator} writes it:
 * DLIO's directory layout and file names, Hive partitioning, deterministic values, checksums.
 */
package io.inlay.engine.dataset;
