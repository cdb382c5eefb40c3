package dev.seq2seq.translator.model;

import com.google.gson.annotations.SerializedName;
import dev.seq2seq.nn.attention.GlobalAttention;
import java.util.Locale;

/**
 * Whether the decoder attends to the source, and with which score: none is the seed's model (one
 * state vector for the whole sentence); the others are {@link GlobalAttention}'s scores.
 */
public enum Attention {
    @SerializedName("none") NONE,
    @SerializedName("dot") DOT,
    @SerializedName("general") GENERAL,
    @SerializedName("additive") ADDITIVE;

    /** The layer's score; not for NONE. */
    GlobalAttention.Score score() {
        return GlobalAttention.Score.valueOf(name());
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT); // what users type and checkpoints store
    }
}
