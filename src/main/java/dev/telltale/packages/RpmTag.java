package dev.telltale.packages;

/** Tag numbers of the RPM header that telltale reads, as assigned in rpm's {@code rpmtag.h}. */
final class RpmTag {
  private RpmTag() {}

  /** Region trailer of the signed (immutable) part of the main header. */
  static final int HEADERIMMUTABLE = 63;

  static final int DSAHEADER = 267;
  static final int RSAHEADER = 268;
  static final int SHA1HEADER = 269;
  static final int SHA256HEADER = 273;

  static final int NAME = 1000;
  static final int VERSION = 1001;
  static final int RELEASE = 1002;
  static final int EPOCH = 1003;
  static final int ARCH = 1022;

  static final int FILESIZES = 1028;
  static final int FILESTATES = 1029;
  static final int FILEMODES = 1030;
  static final int FILERDEVS = 1033;
  static final int FILEMTIMES = 1034;
  static final int FILEDIGESTS = 1035;
  static final int FILELINKTOS = 1036;
  static final int FILEFLAGS = 1037;
  static final int FILEUSERNAME = 1039;
  static final int FILEGROUPNAME = 1040;
  static final int FILEVERIFYFLAGS = 1045;
  static final int DIRINDEXES = 1116;
  static final int BASENAMES = 1117;
  static final int DIRNAMES = 1118;
  static final int LONGFILESIZES = 5008;
  static final int FILECAPS = 5010;
  static final int FILEDIGESTALGO = 5011;
}
