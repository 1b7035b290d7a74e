package dev.telltale.posix;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/** Whether a standard stream is a terminal, through {@code isatty(3)}. */
@SuppressWarnings("restricted")
public final class Terminal {
  private static final MethodHandle ISATTY =
      Linker.nativeLinker()
          .downcallHandle(
              Linker.nativeLinker().defaultLookup().find("isatty").orElseThrow(),
              FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

  /** File descriptor of standard error. */
  public static final int STANDARD_ERROR = 2;

  private Terminal() {}

  /** Returns true when the file descriptor refers to a terminal. */
  public static boolean isTerminal(int fileDescriptor) {
    try {
      return (int) ISATTY.invokeExact(fileDescriptor) == 1;
    } catch (Throwable e) {
      return false;
    }
  }
}
