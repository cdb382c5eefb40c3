package dev.seq2seq.app.model;

import com.google.gson.annotations.SerializedName;
import java.util.Locale;

/** The recurrent cell of encoder and decoder; its lower-case name is what users type and checkpoints store. */
public enum Cell {
    @SerializedName("lstm") LSTM,
    @SerializedName("gru") GRU;

    /** "lstm" or "gru": the option value, the checkpoint value and the prefix of the tensor names. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return id(); // picocli shows and completes the lower-case names
    }
}
