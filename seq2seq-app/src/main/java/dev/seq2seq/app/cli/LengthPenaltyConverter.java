package dev.seq2seq.app.cli;

import dev.seq2seq.translator.decode.LengthPenalty;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** --length-penalty none|avg|wu, named in lower case as OpenNMT-py names them. */
final class LengthPenaltyConverter implements ITypeConverter<LengthPenalty> {
    @Override
    public LengthPenalty convert(String value) {
        try {
            return LengthPenalty.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException("'" + value + "' is not one of none, avg, wu");
        }
    }

    /** The names, for --help's completion. */
    static final class Names implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of("none", "avg", "wu").iterator();
        }
    }
}
