#pragma once
// A small picture of the current kernel's K x K weights (blurcam::kernelWeights2D), so a user
// sees what sigma, size and kernel kind do before looking at the video.

#include <blurcam/params.hpp>

#include <QWidget>

#include <vector>

namespace blurcam::widgets {

class KernelHeatMap : public QWidget {
    Q_OBJECT
  public:
    explicit KernelHeatMap(QWidget* parent = nullptr);

    void setParams(const BlurParams& params);
    [[nodiscard]] const std::vector<double>& weights() const { return m_weights; }
    [[nodiscard]] int kernelSize() const { return m_size; }
    [[nodiscard]] QSize sizeHint() const override { return {160, 160}; }
    [[nodiscard]] QSize minimumSizeHint() const override { return {96, 96}; }
    [[nodiscard]] bool hasHeightForWidth() const override { return true; }
    [[nodiscard]] int heightForWidth(int width) const override { return width; }

  protected:
    void paintEvent(QPaintEvent* event) override;

  private:
    std::vector<double> m_weights;
    int m_size = 0;
    double m_maxWeight = 0.0;
};

} // namespace blurcam::widgets
