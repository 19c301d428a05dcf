package io.inlay.engine.dataset;

/** The two halves of a DLIO dataset and their folder names. */
public enum Split {
    /** {@code train/}: {@code dataset.num_files_train} files. */
    TRAIN("train"),
    /** {@code valid/}: {@code dataset.num_files_eval} files. */
    EVAL("valid");

    private final String folder;

    Split(String folder) {
        this.folder = folder;
    }

    /** The folder under the data folder. */
    public String folder() {
        return folder;
    }
}
