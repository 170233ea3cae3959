"""Scale-out on Apache Spark: the same detectors inside executors, one task per file or
object, findings, coverage, people and risk aggregated on the driver exactly as a local
scan would. ``spillguard.spark.engine.run(settings, master)``; needs
``pip install 'spillguard[spark]'`` (pyspark is imported only when a scan runs)."""
