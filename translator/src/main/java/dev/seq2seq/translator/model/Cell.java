package dev.seq2seq.translator.model;

import com.google.gson.annotations.SerializedName;
import dev.seq2seq.nn.rnn.GRU;
import dev.seq2seq.nn.rnn.LSTM;
import dev.seq2seq.nn.rnn.RecurrentLayer;
import dev.seq2seq.nn.rnn.RecurrentState;
import java.util.Locale;

/** The recurrent cell of encoder and decoder; its lower-case name is what users type and checkpoints store. */
public enum Cell {
    @SerializedName("lstm") LSTM,
    @SerializedName("gru") GRU;

    /** "lstm" or "gru": the option value, the checkpoint value and the prefix of the tensor names. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * A new layer of this cell. The cast is safe because a layer is only ever given back states it
     * produced itself; it lets one model class hold either cell.
     */
    @SuppressWarnings("unchecked")
    RecurrentLayer<RecurrentState> layer(String name, int in, int units, long seed) {
        RecurrentLayer<?> layer = this == GRU ? new GRU(name, in, units, seed) : new LSTM(name, in, units, seed);
        return (RecurrentLayer<RecurrentState>) layer;
    }

    @Override
    public String toString() {
        return id(); // picocli shows and completes the lower-case names
    }
}
