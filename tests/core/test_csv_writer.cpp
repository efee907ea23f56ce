// The CSV writer follows RFC 4180: plain fields as they are, fields with a comma, quote, CR or LF
// quoted with their quotes doubled, CRLF between records, numbers that read back exactly.
#include <QtTest>

#include <cmath>
#include <limits>

#include "runtime/CsvWriter.h"

using voxplain::CsvWriter;

class TestCsvWriter : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void plainFieldsAreWrittenAsTheyAre() {
    CsvWriter csv({"a", "b"});
    csv.row() << "x" << 2;
    QCOMPARE(csv.str(), std::string("a,b\r\nx,2\r\n"));
  }
  void specialFieldsAreQuotedWithQuotesDoubled() {
    QCOMPARE(CsvWriter::quoted("gradcam [dec1,dec2]"), std::string("\"gradcam [dec1,dec2]\""));
    QCOMPARE(CsvWriter::quoted("the \"lesion\""), std::string("\"the \"\"lesion\"\"\""));
    QCOMPARE(CsvWriter::quoted("two\nlines"), std::string("\"two\nlines\""));
    QCOMPARE(CsvWriter::quoted("cr\r"), std::string("\"cr\r\""));
  }
  void numbersReadBackExactlyAndNonFiniteAreEmpty() {
    const float value = 0.1234567f;
    CsvWriter csv({"v", "nan", "inf", "last"});
    csv.row() << double(value) << std::nan("") << std::numeric_limits<double>::infinity() << "end";
    const std::string text = csv.str();
    const std::string record = text.substr(text.find("\r\n") + 2);
    QCOMPARE(std::stof(record.substr(0, record.find(','))), value);
    QVERIFY2(record.find(",,,end\r\n") != std::string::npos, record.c_str());
  }
  void emptyFieldsKeepTheirPlace() {
    CsvWriter csv({"a", "b", "c"});
    csv.row().skip() << "y";
    csv.skip();
    QCOMPARE(csv.str(), std::string("a,b,c\r\n,y,\r\n"));
  }
};

QTEST_GUILESS_MAIN(TestCsvWriter)
#include "test_csv_writer.moc"
