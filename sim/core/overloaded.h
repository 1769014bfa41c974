#pragma once
// One visitor from several lambdas, each handling the types it takes:
//   history::visit(record, Overloaded{[](const SendRecord&) {...}, [](const auto&) {}});
namespace ksim {

template <class... Handlers>
struct Overloaded : Handlers... {
  using Handlers::operator()...;
};
template <class... Handlers>
Overloaded(Handlers...) -> Overloaded<Handlers...>;  // clang before 17 deduces no aggregate

}  // namespace ksim
