#pragma once
// The model the user is working on, shared by the pages: the Weights page loads it, the Quant
// Lab analyses it, the Budget page can take its parameter count. Pages hold a pointer to the
// one session the main window owns and listen to modelChanged().
#include "core/formats/tensor_source.h"

#include <QObject>
#include <memory>

namespace cstudio::ui {

class ModelSession : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;

    std::shared_ptr<const TensorSource> model() const { return model_; }
    void setModel(std::shared_ptr<const TensorSource> model)
    {
        model_ = std::move(model);
        Q_EMIT modelChanged();
    }

Q_SIGNALS:
    void modelChanged();

private:
    std::shared_ptr<const TensorSource> model_;
};

}  // namespace cstudio::ui
