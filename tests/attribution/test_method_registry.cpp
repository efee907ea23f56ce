// The method registry describes what the methods do: every parameter a method reads is listed with
// the same kind, range, choices and default, and every listed parameter is read; traits agree with
// what the methods need. Errors about requests name their field, never a command-line flag.
#include <QtTest>

#include <algorithm>
#include <set>

#include "AttributionTestSupport.h"
#include "attribution/AttributionMethod.h"
#include "attribution/Explainer.h"
#include "synthetic/LesionPhantom.h"
#include "task/InputError.h"

using namespace voxplain;

class TestMethodRegistry : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void everyParameterReadIsDescribedAndEveryDescribedParameterIsRead() {
    ModelPackage pkg = ModelPackage::open(VOXPLAIN_DEMO_MODEL);
    const Study study = testing::phantomStudy({32, 32, 32}, 5);
    ExplainRequest request;
    request.runtime.device = "cpu";
    ExplanationSession session(pkg, study, request);
    for (const MethodInfo& info : methodRegistry()) {
      const QString method = QString::fromStdString(info.name);
      QVERIFY2(!info.summary.empty(), qPrintable(method + ": no summary"));
      std::set<std::string> read;
      // Defaults, then the variants that make the optional parameters be read.
      std::vector<std::vector<std::string>> variants{{}};
      if (findParameter(info, "blur_sigma")) variants.push_back({"baseline=blurred"});
      if (info.name == "smoothgrad" || info.name == "lime" || info.name == "kernel_shap")
        variants.front().push_back("samples=" + std::string(info.name == "smoothgrad" ? "2" : "8"));
      if (info.name == "integrated_gradients") variants.front().push_back("steps=2");
      for (const std::vector<std::string>& items : variants) {
        ParameterSet params = ParameterSet::parse(items);
        const Explanation e = session.explain(info.name, params);
        // perVoxel holds what the maps are: constant per modality exactly when it is false.
        bool varies = false;
        for (const Volume& v : e.regions.front().perModality) {
          const auto [low, high] = std::minmax_element(v.voxels().begin(), v.voxels().end());
          varies = varies || *low != *high;
        }
        QVERIFY2(varies == info.perVoxel, qPrintable(method + ": perVoxel says otherwise"));
        const nlohmann::json& asked = params.asked();
        for (auto it = asked.begin(); it != asked.end(); ++it) {
          const QString where = method + " " + QString::fromStdString(it.key());
          const ParameterSpec* spec = findParameter(info, it.key());
          QVERIFY2(spec, qPrintable(where + ": read but not in the registry"));
          QCOMPARE(QString(parameterKindName(spec->kind)),
                   QString::fromStdString(it.value()["kind"].get<std::string>()));
          if (spec->kind == ParameterSpec::Kind::Integer || spec->kind == ParameterSpec::Kind::Number) {
            QVERIFY2(spec->min == it.value()["min"].get<double>() && spec->max == it.value()["max"].get<double>(),
                     qPrintable(where + ": range differs from the registry's"));
          }
          if (spec->kind == ParameterSpec::Kind::Choice)
            QVERIFY2(spec->choices == it.value()["choices"].get<std::vector<std::string>>(),
                     qPrintable(where + ": choices differ"));
          // The default the method used (when the request did not set the parameter).
          bool set = false;
          for (const std::string& item : items) set = set || item.rfind(it.key() + "=", 0) == 0;
          if (!set && !spec->defaultValue.empty() && params.resolved().contains(it.key())) {
            const nlohmann::json& used = params.resolved()[it.key()];
            const QString usedText = used.is_string() ? QString::fromStdString(used.get<std::string>())
                                                      : QString::number(used.get<double>(), 'g', 12);
            QVERIFY2(usedText == QString::fromStdString(spec->defaultValue),
                     qPrintable(where + ": default " + usedText + ", registry says " +
                                QString::fromStdString(spec->defaultValue)));
          }
          read.insert(it.key());
        }
      }
      for (const ParameterSpec& spec : info.parameters)
        QVERIFY2(read.count(spec.key),
                 qPrintable(method + " " + QString::fromStdString(spec.key) + ": in the registry but never read"));
      QCOMPARE(info.needsLayers, findParameter(info, "layers") != nullptr || findParameter(info, "layer") != nullptr);
    }
  }
  void errorsNameTheFieldNotAFlag() {
    try {
      TargetSpec::parse("bogus");
      QFAIL("no error");
    } catch (const InputError& e) {
      QVERIFY(e.field() == InputField::Target);
      QCOMPARE(QString(e.what()),
               QString("target bogus: must be class=N, instance=all|K, roi=x0,y0,z0,x1,y1,z1[,mm] or voxel=x,y,z"));
    }
    ParameterSet p = ParameterSet::parse({"steps=0"});
    try {
      p.integer("steps", 32, 1, 4096);
      QFAIL("no error");
    } catch (const InputError& e) {
      QVERIFY(e.field() == InputField::Parameter);
      QCOMPARE(QString::fromStdString(e.source()), QString("steps"));
      QVERIFY2(!QString(e.what()).contains("--"), e.what());
    }
    try {
      findMethod("nosuch");
      QFAIL("no error");
    } catch (const InputError& e) {
      QVERIFY(e.field() == InputField::Method);
      QVERIFY2(QString(e.what()).startsWith("method nosuch: unknown method"), e.what());
    }
  }
  // Typed values from a front end are checked against the registry as text from a command line is:
  // an integer parameter refuses a number, a choice refuses a number, a range holds for both.
  void typedValuesAreCheckedLikeText() {
    const MethodInfo& ig = findMethod("integrated_gradients");
    ParameterSet typed;
    typed.set("steps", 16);
    typed.set("rule", "riemann");
    checkParameters(ig, typed);
    ParameterSet read = typed;
    QCOMPARE(read.integer("steps", 32, 1, 4096), 16);
    ParameterSet fractional;
    fractional.set("steps", 16.5);
    QVERIFY_THROWS_EXCEPTION(InputError, checkParameters(ig, fractional));
    ParameterSet outOfRange;
    outOfRange.set("steps", 0);
    QVERIFY_THROWS_EXCEPTION(InputError, checkParameters(ig, outOfRange));
    ParameterSet numberForChoice;
    numberForChoice.set("rule", 2);
    QVERIFY_THROWS_EXCEPTION(InputError, checkParameters(ig, numberForChoice));
    ParameterSet integerForNumber;  // an integer is a number
    integerForNumber.set("sigma", 1);
    QCOMPARE(integerForNumber.number("sigma", 0.5, 0.0, 10.0), 1.0);
  }
  // One syntax for parameters of several methods (evaluate, bench): method.key=value.
  void qualifiedParametersSplitByMethod() {
    const std::map<std::string, ParameterSet> byMethod =
        parseQualifiedParameters({"integrated_gradients.steps=16", "occlusion.block=8", "gradcam.layers=dec2.conv"});
    QCOMPARE(byMethod.size(), std::size_t(3));
    ParameterSet ig = byMethod.at("integrated_gradients");
    QCOMPARE(ig.integer("steps", 32, 1, 4096), 16);
    ParameterSet gradcam = byMethod.at("gradcam");
    QCOMPARE(gradcam.text("layers", ""), std::string("dec2.conv"));
    for (const std::string bad : {"occlusion:block=8", "block=8", ".block=8", "occlusion.=8", "occlusion.block"}) {
      try {
        parseQualifiedParameters({bad});
        QFAIL(bad.c_str());
      } catch (const InputError& e) {
        QVERIFY2(QString(e.what()).contains("method.key=value"), e.what());
        QCOMPARE(e.source(), bad);
      }
    }
  }
};

QTEST_APPLESS_MAIN(TestMethodRegistry)
#include "test_method_registry.moc"
