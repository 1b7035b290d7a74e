package dev.telltale.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PosixTest {
  @TempDir Path directory;

  private int openDirectory() throws PosixException {
    byte[] path = directory.toString().getBytes(StandardCharsets.UTF_8);
    return Posix.openat(Posix.AT_FDCWD, path, Posix.O_RDONLY | Posix.O_DIRECTORY, 0);
  }

  @Test
  void openMissingCarriesErrnoAndName() throws Exception {
    int fd = openDirectory();
    try {
      assertThatThrownBy(
              () -> Posix.openat(fd, "missing".getBytes(StandardCharsets.US_ASCII), 0, 0))
          .isInstanceOf(PosixException.class)
          .hasMessage("openat 'missing': No such file or directory (ENOENT)");
    } finally {
      Posix.close(fd);
    }
  }

  @Test
  void nameWithNulIsRejected() throws Exception {
    assertThatThrownBy(() -> Posix.openat(Posix.AT_FDCWD, new byte[] {'a', 0, 'b'}, 0, 0))
        .isInstanceOf(PosixException.class)
        .hasMessageContaining("EINVAL");
  }

  @Test
  void readFillsHeapArray() throws Exception {
    Files.writeString(directory.resolve("f"), "abcdef");
    int dirFd = openDirectory();
    int fd = Posix.openat(dirFd, new byte[] {'f'}, Posix.O_RDONLY, 0);
    byte[] buffer = new byte[10];
    try {
      int count = Posix.read(fd, buffer, 2, 8);

      assertThat(count).isEqualTo(6);
      assertThat(new String(buffer, 2, 6, StandardCharsets.US_ASCII)).isEqualTo("abcdef");
    } finally {
      Posix.close(fd);
      Posix.close(dirFd);
    }
  }

  @Test
  void fstatMatchesLstatOfSameFile() throws Exception {
    Files.writeString(directory.resolve("f"), "abc");
    int dirFd = openDirectory();
    int fd = Posix.openat(dirFd, new byte[] {'f'}, Posix.O_RDONLY, 0);
    try {
      Statx listed = Posix.lstatAt(dirFd, new byte[] {'f'});
      Statx opened = Posix.fstat(fd);

      assertThat(opened.sameInode(listed)).isTrue();
      assertThat(opened.sizeBytes()).isEqualTo(3);
    } finally {
      Posix.close(fd);
      Posix.close(dirFd);
    }
  }

  @Test
  void unknownErrnoHasNumber() {
    assertThat(Errno.name(999)).isEqualTo("errno 999");
  }
}
