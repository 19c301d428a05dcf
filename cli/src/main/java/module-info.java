/** The {@code inlay} command line. */
module io.inlay.cli {
    requires io.inlay.engine;
    requires info.picocli;
    requires org.snakeyaml.engine;
    requires com.fasterxml.jackson.jr.ob;
    requires java.management;
    requires jdk.unsupported; // com.sun.nio.file.ExtendedOpenOption.DIRECT: O_DIRECT checkpoint files
    requires jdk.management;

    opens io.inlay.cli to info.picocli;
}
