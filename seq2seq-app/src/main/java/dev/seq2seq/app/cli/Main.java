package dev.seq2seq.app.cli;

import dev.seq2seq.translator.data.DataException;
import dev.seq2seq.translator.train.TrainingDiverged;
import java.io.IOException;
import java.io.PrintWriter;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.UnmatchedArgumentException;
import picocli.CommandLine;

/** The command line: {@code seq2seq train | translate | evaluate | score | export | bench | serve}. */
@Command(name = "seq2seq", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Sequence-to-sequence translation in pure Java: an LSTM or GRU encoder-decoder, with or without"
                + " attention, over characters, words or BPE subwords (English -> French out of the box).",
        subcommands = {TrainCommand.class, TranslateCommand.class, EvaluateCommand.class, ScoreCommand.class,
                ExportCommand.class, BenchCommand.class, ServeCommand.class, CommandLine.HelpCommand.class, AutoComplete.GenerateCompletion.class},
        footer = {"", "Examples:",
                "  seq2seq train                     # 100 epochs on the bundled 10,000 pairs",
                "  seq2seq translate \"Go.\" \"I won!\"",
                "  seq2seq evaluate",
                "  seq2seq score --hypotheses output.fr --references reference.fr",
                "  seq2seq train --help",
                "  source <(seq2seq generate-completion)   # tab completion of commands, options and choices in bash/zsh",
                "", Main.EXIT_CODES})
public final class Main {
    /** Exit code of a user error (bad input, missing file, damaged checkpoint). */
    static final int USER_ERROR = 2;
    /** Exit code when training diverged. */
    static final int DIVERGED = 3;
    /** Exit code when Ctrl-C stopped a run (128 + SIGINT, as shells report it); what was done is saved. */
    static final int INTERRUPTED = 130;
    /** The exit codes, as every command's help lists them. */
    static final String EXIT_CODES = "Exit codes: 0 done, 2 a mistake in the input (the message says which),"
            + " 3 training diverged, 130 stopped by Ctrl-C (saved; --resume goes on).";

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code (tests call this). */
    public static int run(String... args) {
        KernelOptions.verboseRun = false;
        CommandLine commandLine = new CommandLine(new Main());
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        // A mistyped option or value: the message, the near misses, and where the options are
        // listed, not the whole usage (one screen or more) that buries the one line that matters.
        commandLine.setParameterExceptionHandler((exception, arguments) -> {
            CommandLine command = exception.getCommandLine();
            PrintWriter err = command.getErr();
            err.println("error: " + exception.getMessage());
            UnmatchedArgumentException.printSuggestions(exception, err);
            err.println("(" + command.getCommandSpec().qualifiedName() + " --help lists the "
                    + (command.getSubcommands().isEmpty() ? "options" : "commands") + ")");
            return USER_ERROR;
        });
        commandLine.setExecutionExceptionHandler((exception, line, parsed) -> {
            boolean userError = exception instanceof DataException || exception instanceof IOException
                    || exception instanceof IllegalArgumentException;
            if (userError || exception instanceof TrainingDiverged) {
                line.getErr().println("error: " + exception.getMessage());
                if (KernelOptions.verboseRun) {
                    exception.printStackTrace(line.getErr());
                }
                return userError ? USER_ERROR : DIVERGED;
            }
            throw exception;
        });
        return commandLine.execute(args);
    }
}
